import { outageOf } from './outageErrors';

const restError = (statusCode?: number, code?: string) => Object.assign(new Error('storage'), { name: 'RestError', statusCode, code });

describe('outageOf', () => {
  it('calls unreachable or failing storage a blob outage, but not a storage 4xx', () => {
    expect(outageOf(restError(undefined, 'ECONNREFUSED'))).toBe('blob');
    expect(outageOf(restError(503))).toBe('blob');
    expect(outageOf(new Error('upload failed', { cause: restError(500) }))).toBe('blob');
    expect(outageOf(restError(412, 'ConditionNotMet'))).toBeNull();
  });

  it('calls a dropped or refused database connection a postgres outage', () => {
    expect(outageOf(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('postgres');
    expect(outageOf(new Error('Connection terminated unexpectedly'))).toBe('postgres');
    expect(outageOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('postgres');
    expect(outageOf(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'))).toBe('postgres');
  });

  it('leaves every other error alone', () => {
    expect(outageOf(new TypeError('x is undefined'))).toBeNull();
    expect(outageOf(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }))).toBeNull(); // the client went away
    expect(outageOf(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(outageOf('a string')).toBeNull();
  });
});
