import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from '../../auth/api-key.types';
import type { GuardedRequest } from './access.guard';

/** The principal the access guard found for this request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<GuardedRequest>().principal;
  if (!principal) throw new Error('no principal: the access guard did not run');
  return principal;
});
