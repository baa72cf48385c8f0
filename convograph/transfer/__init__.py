"""Import and export: the convograph document format, ChatGPT's conversations.json, and
the loops that move conversations between them and the database.

Used by the CLI and by the GraphQL resolvers; every SQL statement stays in `convograph.db`.
"""
