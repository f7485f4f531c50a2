# An Amazon Connect agent role in Terraform, with a typo in one action.
resource "aws_iam_role" "agent" {
  name = "connect-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "agent_directory" {
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["connect:DescribeUser", "connect:ListUsrs"]
      Resource = "arn:aws:connect:${var.region}:${var.account_id}:instance/*"
    }]
  })
}
