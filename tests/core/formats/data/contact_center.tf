# Amazon Connect contact center: the Lambda functions of the contact flows, the agents'
# access, and the key that encrypts call recordings. Policies written four ways.

variable "instance_arn" {
  type        = string
  description = "ARN of the Amazon Connect instance"
}

variable "policy" {
  type    = string
  default = ""
}

locals {
  queue_arns = ["${var.instance_arn}/queue/*"]
}

# The Lambda that contact flows call: a trust policy written with jsonencode.
resource "aws_iam_role" "connect_lambda" {
  name = "connect-flow-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })

  inline_policy {
    name = "flow-lookups"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "Lookups"
          Effect   = "Allow"
          Action   = ["connect:DescribeUsr", "conect:ListQueues"]
          Resource = local.queue_arns
        },
        {
          Effect   = var.read_only ? "Allow" : "Deny"
          Action   = "connect:${var.extra_action}"
          Resource = "${var.instance_arn}/*"
        },
      ]
    })
  }
}

# The agents' role trusts Amazon Connect through a data source.
resource "aws_iam_role" "connect_agent" {
  name               = "connect-agent"
  assume_role_policy = data.aws_iam_policy_document.connect_trust.json
}

data "aws_iam_policy_document" "connect_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["connect.amazonaws.com"]
    }
    condition {
      test     = "StringEqual"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role_policy" "agent_queues" {
  name = "agent-queues"
  role = aws_iam_role.connect_agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["connect:ListQueues", "connect:DescribeQueue", "connect:GetCurrentMetricData"]
      Resource = ["${var.instance_arn}/queue/*"]
    }]
  })
}

# Supervisors: a heredoc with interpolations.
resource "aws_iam_policy" "supervisor" {
  name   = "connect-supervisor"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["connect:ListUsers", "connect:DescribeRoutingProfil"],
          "Resource": ["${var.instance_arn}/agent/*", "${var.instance_arn}/routing-profile/*"]
        },
        {
          "Effect": "Allow",
          "Action": "connect:GetMetricDataV2",
          "Resource": ${jsonencode(local.queue_arns)}
        }
      ]
    }
  EOF
}

# Per-user recordings: the provider turns &{ into ${.
data "aws_iam_policy_document" "recordings" {
  statement {
    sid       = "OwnRecordings"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::connect-recordings/&{aws:username}/*"]
  }

  dynamic "statement" {
    for_each = var.extra_statements
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_policy" "recordings" {
  name   = "connect-recordings"
  policy = data.aws_iam_policy_document.recordings.json
}

# Written elsewhere: known only at plan time, never an error.
resource "aws_iam_policy" "from_file" {
  name   = "from-file"
  policy = file("policies/reporting.json")
}

resource "aws_iam_policy" "from_variable" {
  name   = "from-variable"
  policy = var.policy
}

# The key that encrypts call recordings: a resource policy.
resource "aws_kms_key" "recordings" {
  description = "Amazon Connect call recordings"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ConnectUse"
      Effect    = "Allow"
      Principal = { Service = "connect.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypts"]
      Resource  = "*"
      Condition = { ArnLike = { "aws:SourceArn" = var.instance_arn } }
    }]
  })
}
