"""Resolvers: parse the input, call the db layer, return schema types."""
