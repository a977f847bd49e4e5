"""Terraform: HCL reading, expression evaluation, modules, embedded JSON, plan files and the
parse cache.
"""
