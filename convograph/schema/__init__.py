"""The GraphQL types: objects, inputs, payloads, errors, pagination and enums."""
