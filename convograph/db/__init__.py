"""Persistence: engine, tables, repositories, batch loaders and migrations.

Nothing here imports strawberry: this layer speaks rows and domain errors only.
"""
