"""Host formats: front-ends that find the policies inside other files (CloudFormation and
SAM templates in YAML or JSON, plain YAML policies) and hand each to the same checks, as the
same JSON node model, with offsets in the host file's text."""
