"""Serverless Framework services, compiled into the CloudFormation `serverless package` makes."""
