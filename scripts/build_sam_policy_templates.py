"""Build `server/connect_policy/formats/sam_policy_templates.json`: the names of AWS SAM's policy
templates (`S3ReadPolicy`, `DynamoDBCrudPolicy`, ...) with the names of their parameters, so
that a SAM `Policies` entry naming a template that does not exist, or missing a parameter, is
reported.

Only these facts are kept, not the templates' statements. The source is SAM's own data file,
`samtranslator/policy_templates_data/policy_templates.json` in
https://github.com/aws/serverless-application-model. Run by hand when SAM adds templates:
`python scripts/build_sam_policy_templates.py path/to/policy_templates.json COMMIT DATE`
(the commit and the date of that copy are written into the output, which is committed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = (Path(__file__).resolve().parents[1]
       / "server/connect_policy/formats/sam_policy_templates.json")
SOURCE = ("https://github.com/aws/serverless-application-model/blob/{commit}/samtranslator/"
          "policy_templates_data/policy_templates.json")


def build(source: dict[str, object], commit: str, date: str) -> dict[str, object]:
    templates = source["Templates"]
    assert isinstance(templates, dict)
    return {
        "source": SOURCE.format(commit=commit),
        "date": date,
        "version": source.get("Version"),
        "templates": {name: sorted(template.get("Parameters") or {})
                      for name, template in sorted(templates.items())},
    }


def main(arguments: list[str]) -> None:
    if len(arguments) != 3:
        sys.exit(__doc__)
    path, commit, date = arguments
    data = build(json.loads(Path(path).read_text()), commit, date)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"{OUT}: {len(data['templates'])} templates")  # type: ignore[arg-type]


if __name__ == "__main__":
    main(sys.argv[1:])
