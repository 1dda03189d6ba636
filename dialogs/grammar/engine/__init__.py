"""The grammar's template language: templates parsed into nodes, compiled into matchers."""
