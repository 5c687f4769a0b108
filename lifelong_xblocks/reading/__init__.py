"""Reading-club domain logic: the bookshelf, the reading log and recitations (no XBlock imports)."""
