"""CloudFormation templates, and the shared builder every format goes through: SAM, Serverless
and Terraform are translated into CloudFormation-shaped resources that this package turns
into the common graph.
"""
