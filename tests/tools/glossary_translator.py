"""A translator for the tests: JSON Lines in, filled JSON Lines out (what `qadeck translate
--with` runs). It puts the glossary's English for every term it knows and marks the rest
`[en]`, keeping code and math as they are. No network, no model."""

import json
import sys


def translate(text: str, glossary: dict[str, str]) -> str:
    for zh, en in sorted(glossary.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(zh, en)
    return text


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        record = json.loads(line)
        glossary = record.get("glossary", {})
        source = record["source"]
        target = {"question": "[en] " + translate(source["question"], glossary)}
        if "answer" in source:
            target["answer"] = "[en] " + translate(source["answer"], glossary)
        record["target"] = target
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
