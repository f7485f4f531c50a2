"""Packs a plain-JavaScript extension folder into a .vsix, without vsce or a network.

    python3 pack_vsix.py EXTENSION_FOLDER OUTPUT.vsix

A .vsix is a zip with the extension under `extension/`, an `extension.vsixmanifest` and a
`[Content_Types].xml`; VS Code (and code-server's `--install-extension`) reads
`extension/package.json` from it. Used by scripts/vscode-e2e.sh for the test-only probe
extension, which has no build step and no dependencies.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension=".json" ContentType="application/json"/>
  <Default Extension=".js" ContentType="application/javascript"/>
  <Default Extension=".vsixmanifest" ContentType="text/xml"/>
</Types>
"""

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011">
  <Metadata>
    <Identity Language="en-US" Id="{name}" Version="{version}" Publisher="{publisher}"/>
    <DisplayName>{display}</DisplayName>
    <Description xml:space="preserve">{description}</Description>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="{engine}"/>
      <Property Id="Microsoft.VisualStudio.Code.ExtensionDependencies" Value="{dependencies}"/>
      <Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace"/>
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code"/>
  </Installation>
  <Dependencies/>
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json"
           Addressable="true"/>
  </Assets>
</PackageManifest>
"""


def pack(folder: Path, output: Path) -> None:
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    fields = {
        "name": package["name"],
        "version": package["version"],
        "publisher": package["publisher"],
        "display": package.get("displayName", package["name"]),
        "description": package.get("description", ""),
        "engine": package["engines"]["vscode"],
        "dependencies": ",".join(package.get("extensionDependencies", [])),
    }
    manifest = MANIFEST.format(**{key: escape(value, {'"': "&quot;"})
                                  for key, value in fields.items()})
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as vsix:
        vsix.writestr("[Content_Types].xml", CONTENT_TYPES)
        vsix.writestr("extension.vsixmanifest", manifest)
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                vsix.write(path, "extension/" + path.relative_to(folder).as_posix())


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    pack(Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
