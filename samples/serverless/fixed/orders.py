def create(event, context):
    return {"statusCode": 201}


def list(event, context):
    return {"statusCode": 200}
