Feature: Sovereignty of the planned placements
  The same rules as policies/checkov/, read by terraform-compliance from a planner plan JSON
  written on one line (jq -c . plan.json > plan.oneline.json).

  Scenario: Health data runs only on an HDS-certified place
    Given I have planner_placement defined
    When its data_class is "^health(_sensitive)?$" regex
    Then it must contain qualifications
    And its value must contain hds

  Scenario: No sensitive data under extra-EU law
    Given I have planner_placement defined
    When its data_class is "^(sensitive|health_sensitive|diffusion_restreinte)$" regex
    Then its extra_eu_law_exposure must be false

  # in basis points (hundredths of a percent): terraform-compliance compares whole numbers only
  Scenario: The outsourced share of spend is at most 40 %
    Given I have planner_summary defined
    Then it must contain outsourced_share_basis_points
    And its value must be less and equal than 4000
