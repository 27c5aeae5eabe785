import type { FrameworkDefinition } from '../types.js';

/** AWS Lambda: the exported `handler`; an async handler's resolved value is the invocation result. */
export const awsLambda: FrameworkDefinition = {
  id: 'aws-lambda',
  displayName: 'AWS Lambda',
  packages: [],
  receivers: [],
  registrations: [
    {
      kind: 'file-export',
      exports: ['handler'],
      role: 'handler',
      types: [
        {
          packages: ['@types/aws-lambda'],
          names: ['Handler', 'APIGatewayProxyHandler', 'APIGatewayProxyHandlerV2', 'ALBHandler', 'LambdaFunctionURLHandler', 'SQSHandler', 'SNSHandler', 'EventBridgeHandler'],
        },
      ],
    },
  ],
  handlerParams: ['event', 'lambda-context', 'callback'],
  promiseHandling: { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: true },
  responseSinks: [{ kind: 'return' }, { kind: 'parameter-call', param: 'callback', argument: 1 }],
  keepAlive: [],
  docs: 'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html',
};
