"""AWS SAM templates, translated into the CloudFormation SAM would generate.
"""
