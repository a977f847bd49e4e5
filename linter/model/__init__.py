"""The model rules reason about: the resource graph, Unknown/Choice values, findings, the rule
API, IAM helpers and the AWS data they read.
"""
