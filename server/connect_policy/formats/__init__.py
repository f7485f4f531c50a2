"""Host formats: front-ends that find the policies in a host document and hand each to the
analysis. JSON today (a policy file is the policy); YAML, CloudFormation and Terraform
front-ends go here."""
