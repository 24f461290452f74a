"""qadeck: Markdown interview notes → an Anki deck, a PDF cheat-sheet and a bilingual page."""

__version__ = "0.2.0"
