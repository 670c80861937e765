"""One module per sheet family; each exposes build(book, ctx) and fills book.sheet(<title>)."""
