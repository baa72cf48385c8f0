"""convograph: a GraphQL API server for branching chat conversations."""

__version__ = "0.1.0"
