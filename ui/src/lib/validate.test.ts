import { describe, expect, it } from 'vitest';
import * as v from './validate';

const key = (p: v.Problem | null) => p?.key ?? null;

describe('port mappings', () => {
  it.each(['8080:8080', '80:8080', '127.0.0.1:8080:80', '53:53/udp', '443:443/tcp', ' 8080:8080 '])('accepts %s', (s) => {
    expect(v.portMapping(s)).toBeNull();
  });
  it.each([
    ['', 'v.mapping.empty'],
    ['8080', 'v.mapping.single'],
    ['8080:', 'v.mapping.format'],
    ['a:b', 'v.mapping.format'],
    ['8080-8080', 'v.mapping.format'],
    ['1:2:3:4', 'v.mapping.format'],
    ['0:8080', 'v.mapping.range'],
    ['70000:80', 'v.mapping.range'],
    ['80:80/sctp', 'v.mapping.protocol'],
  ])('rejects %j with %s', (s, k) => {
    expect(key(v.portMapping(s))).toBe(k);
  });
  it('names the value and suggests the mapping for a single port', () => {
    expect(v.portMapping('9000')).toEqual({ key: 'v.mapping.single', params: { value: '9000' } });
  });
  it('flags a server port published twice and ignores blank rows', () => {
    expect(v.portMappings(['8080:80', '', '8080:81']).map(key)).toEqual([null, null, 'v.mapping.duplicate']);
    expect(v.portMappings(['53:53/udp', '53:53/tcp']).map(key)).toEqual([null, null]);
  });
});

describe('container names', () => {
  it.each(['hello', 'hello-api', 'a', 'A1_b.c-d', '9lives'])('accepts %s', (s) => expect(v.containerName(s)).toBeNull());
  it.each([
    ['', 'v.name.empty'],
    ['-hello', 'v.name.format'],
    ['_x', 'v.name.format'],
    ['hello world', 'v.name.format'],
    ['你好', 'v.name.format'],
    ['a/b', 'v.name.format'],
    ['a'.repeat(65), 'v.name.long'],
  ])('rejects %j', (s, k) => expect(key(v.containerName(s))).toBe(k));
});

describe('memory', () => {
  it.each(['', '256m', '1g', '1G', '512M', '6m', '10000k', '1073741824'])('accepts %j', (s) => expect(v.memory(s)).toBeNull());
  it.each([
    ['256MB', 'v.memory.unit'],
    ['1.5g', 'v.memory.format'],
    ['1gb', 'v.memory.unit'],
    ['m', 'v.memory.format'],
    ['-1g', 'v.memory.format'],
    ['lots', 'v.memory.format'],
    ['1m', 'v.memory.small'],
    ['256', 'v.memory.small'],
  ])('rejects %j', (s, k) => expect(key(v.memory(s))).toBe(k));
  it('counts bytes like Docker', () => {
    expect(v.memoryBytes('256m')).toBe(256 * 2 ** 20);
    expect(v.memoryBytes('1g')).toBe(2 ** 30);
    expect(v.memoryBytes('2k')).toBe(2048);
    expect(v.memoryBytes('x')).toBeNull();
  });
});

describe('volumes', () => {
  it.each(['/srv/app/data:/data', '/srv/app/data:/data:ro', 'appdata:/var/lib/app', '/etc/app.conf:/etc/app.conf:Z'])(
    'accepts %s',
    (s) => expect(v.volume(s)).toBeNull(),
  );
  it.each([
    ['C:\\data:/data', 'v.volume.windows'],
    ['C:/data:/data', 'v.volume.windows'],
    ['D:\\srv', 'v.volume.windows'],
    ['/srv/app/data', 'v.volume.format'],
    ['/srv:data', 'v.volume.format'],
    [':/data', 'v.volume.format'],
    ['./data:/data', 'v.volume.relative'],
    ['', 'v.volume.empty'],
  ])('rejects %j', (s, k) => expect(key(v.volume(s))).toBe(k));
});

describe('health path', () => {
  it.each(['', '/', '/healthz', '/api/v1/health?full=1'])('accepts %j', (s) => expect(v.healthPath(s)).toBeNull());
  it.each([
    ['healthz', 'v.health.slash'],
    ['http://localhost:8080/healthz', 'v.health.url'],
    ['/health z', 'v.health.spaces'],
  ])('rejects %j', (s, k) => expect(key(v.healthPath(s))).toBe(k));
});

describe('server fields', () => {
  it.each(['203.0.113.10', 'example.com', 'srv-1.internal', '::1', '2001:db8::1'])('host %s is fine', (s) =>
    expect(v.host(s)).toBeNull(),
  );
  it.each([
    ['', 'v.host.empty'],
    ['   ', 'v.host.empty'],
    ['ssh://example.com', 'v.host.scheme'],
    ['root@example.com', 'v.host.user'],
    ['my server', 'v.host.spaces'],
    ['example.com:2222', 'v.host.port'],
  ])('host %j', (s, k) => expect(key(v.host(s))).toBe(k));
  it.each(['1', '22', '2222', '65535'])('port %s is fine', (s) => expect(v.port(s)).toBeNull());
  it.each([
    ['', 'v.port.empty'],
    ['0', 'v.port.range'],
    ['65536', 'v.port.range'],
    ['22a', 'v.port.range'],
    ['-1', 'v.port.range'],
    ['2.2', 'v.port.range'],
  ])('port %j', (s, k) => expect(key(v.port(s))).toBe(k));
  it('user', () => {
    expect(v.user('deploy')).toBeNull();
    expect(key(v.user(''))).toBe('v.user.empty');
    expect(key(v.user('a b'))).toBe('v.user.format');
  });
});

describe('environment', () => {
  it('checks names, duplicates and TZ, ignoring empty rows', () => {
    const rows = [
      { key: 'GREETING', value: '你好' },
      { key: '', value: '' },
      { key: '1BAD', value: 'x' },
      { key: 'GREETING', value: 'again' },
      { key: 'TZ', value: 'UTC' },
      { key: '', value: 'orphan' },
    ];
    expect(v.envPairs(rows).map(key)).toEqual([null, null, 'v.env.key', 'v.env.duplicate', 'v.env.tz', 'v.env.empty']);
  });
});

describe('time zone', () => {
  it.each(['', 'UTC', 'Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'Etc/GMT+8'])('accepts %j', (s) =>
    expect(v.timeZone(s)).toBeNull(),
  );
  it.each(['Asia/ Shanghai', 'Shanghai time', '/UTC'])('rejects %j', (s) => expect(key(v.timeZone(s))).toBe('v.tz.format'));
});

describe('registry', () => {
  it('server', () => {
    expect(v.registryServer('registry.cn-hangzhou.aliyuncs.com')).toBeNull();
    expect(v.registryServer('10.0.0.5:5000')).toBeNull();
    expect(key(v.registryServer(''))).toBe('v.registry.server_empty');
    expect(key(v.registryServer('https://harbor.example.com'))).toBe('v.registry.scheme');
    expect(key(v.registryServer('harbor.example.com/library'))).toBe('v.registry.server');
  });
  it('repository', () => {
    expect(v.repository('team/hello')).toBeNull();
    expect(v.repository('a/b/c_d-e.f')).toBeNull();
    expect(key(v.repository(''))).toBe('v.registry.repo_empty');
    expect(key(v.repository('team/hello:latest'))).toBe('v.registry.repo_tag');
    expect(key(v.repository('Team/Hello'))).toBe('v.registry.repo_case');
    expect(key(v.repository('team//hello'))).toBe('v.registry.repo_format');
    expect(key(v.repository('-team/hello'))).toBe('v.registry.repo_format');
  });
});

describe('timeouts and required values', () => {
  it('health timeout', () => {
    expect(v.healthTimeout('30')).toBeNull();
    expect(key(v.healthTimeout('0'))).toBe('v.timeout.range');
    expect(key(v.healthTimeout('abc'))).toBe('v.timeout.range');
    expect(key(v.healthTimeout('3601'))).toBe('v.timeout.range');
  });
  it('required and allOk', () => {
    expect(key(v.required('  '))).toBe('v.required');
    expect(v.allOk(null, [null, null])).toBe(true);
    expect(v.allOk(null, [null, { key: 'x' }])).toBe(false);
  });
});
