import { ServiceUnavailableException } from '@nestjs/common';
import { firstValueFrom, of, delay } from 'rxjs';
import { RequestTimeoutInterceptor } from '../../../src/api/security/request-timeout.interceptor';

describe('RequestTimeoutInterceptor', () => {
  const context = {} as never;

  it('passes a handler that answers in time', async () => {
    const interceptor = new RequestTimeoutInterceptor(200);
    await expect(firstValueFrom(interceptor.intercept(context, { handle: () => of('done').pipe(delay(10)) }))).resolves.toBe('done');
  });

  it('answers 503 for a handler that takes longer than the timeout', async () => {
    const interceptor = new RequestTimeoutInterceptor(20);
    const late = firstValueFrom(interceptor.intercept(context, { handle: () => of('late').pipe(delay(500)) }));
    await expect(late).rejects.toBeInstanceOf(ServiceUnavailableException);
    await expect(late).rejects.toThrow(/HPO_REQUEST_TIMEOUT_SEC/);
  });
});
