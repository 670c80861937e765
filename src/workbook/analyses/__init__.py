"""Pure analyses: DataFrames in, DataFrames out. No file or workbook I/O here."""


def not_assessed(table: str, capital: bool = False) -> str:
    """The one wording for a part whose data is missing (SPEC): 'not assessed — needs <table>'."""
    text = f"not assessed — needs {table}"
    return "N" + text[1:] if capital else text
