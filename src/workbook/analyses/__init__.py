"""Pure analyses: DataFrames in, DataFrames out. No file or workbook I/O here."""
