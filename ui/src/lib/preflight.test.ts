import { describe, expect, it } from 'vitest';
import {
  addFinding,
  codeSpans,
  countFindings,
  editsConfig,
  findingOf,
  groupFindings,
  pick,
  previewFix,
  sortFindings,
  summaryParts,
} from './preflight';
import { archMismatch, crlf, finding, root, timezone } from './preflight-fixtures';
import { fluentId, format, type Lang } from './i18n/catalog';

const summary = (lang: Lang, parts: { key: string; n: number }[], sep: string) =>
  parts.map((p) => format(lang, fluentId(p.key), { n: p.n })).join(sep);

describe('preflight findings', () => {
  it('sorts errors, then warnings, then info, keeping the checks’ order within each', () => {
    const tz2 = { ...timezone, id: 'server.timezone_mismatch', evidence: 'other' };
    const sorted = sortFindings([root, crlf, archMismatch, tz2]);
    expect(sorted.map((f) => f.id)).toEqual([
      'server.arch_mismatch',
      'context.crlf_scripts',
      'server.timezone_mismatch',
      'dockerfile.runs_as_root',
    ]);
    expect(sorted[1]).toBe(crlf);
  });

  it('groups by severity, leaving out empty groups', () => {
    const groups = groupFindings([crlf, root, timezone]);
    expect(groups.map((g) => [g.severity, g.findings.length])).toEqual([
      ['warning', 2],
      ['info', 1],
    ]);
  });

  it('summarises in English and Chinese, singular and plural', () => {
    const c = countFindings([archMismatch, archMismatch, crlf, root]);
    expect(c).toEqual({ error: 2, warning: 1, info: 1 });
    expect(summary('en', summaryParts(c), ', ')).toBe('2 errors, 1 warning, 1 note');
    expect(summary('zh', summaryParts(c), '，')).toBe('2 个错误，1 个警告，1 条提示');
    expect(summary('en', summaryParts(countFindings([])), ', ')).toBe('No problems found');
    expect(summary('en', summaryParts(countFindings([root])), ', ')).toBe('No problems found, 1 note');
    expect(summary('en', summaryParts(countFindings([crlf, timezone])), ', ')).toBe('2 warnings');
  });

  it('picks the language, falling back to English', () => {
    expect(pick(crlf.message, 'zh')).toMatch(/CRLF/);
    expect(pick(crlf.message, 'zh')).toMatch(/换行/);
    expect(pick({ en: 'only English', zh: '' }, 'zh')).toBe('only English');
    expect(pick(null, 'en')).toBe('');
  });

  it('renders a finding’s text sent as a catalog message, in the language asked for', () => {
    const msg = { id: 'step-fix-done', text: 'fixed' };
    expect(pick(msg, 'en')).toBe('fixed');
    expect(pick(msg, 'zh')).not.toBe('fixed');
    expect(pick({ id: 'not-in-this-catalog', text: 'as the core said' }, 'zh')).toBe('as the core said');
  });

  it('reads findings out of the event stream only', () => {
    expect(findingOf(finding(crlf))).toBe(crlf);
    expect(findingOf({ event: 'data', step: 'probe', kind: 'server', data: {} })).toBeNull();
    expect(findingOf({ event: 'log', step: 'check', line: 'x' })).toBeNull();
  });

  it('replaces a finding reported again rather than listing it twice', () => {
    const again = { ...crlf, severity: 'error' as const };
    const list = addFinding(addFinding([crlf], timezone), again);
    expect(list.map((f) => f.id)).toEqual(['context.crlf_scripts', 'server.timezone_mismatch']);
    expect(list[0].severity).toBe('error');
    expect(addFinding(list, { ...crlf, evidence: 'scripts/other.sh' })).toHaveLength(3);
  });

  it('previews file edits with their new content and server commands as shell lines', () => {
    const files = previewFix(crlf.auto_fix!.action);
    expect(files).toEqual({
      kind: 'files',
      files: [{ path: 'scripts/setup.sh', isNew: false, lines: 3, content: 'set -e\necho setting up\nmkdir -p /data\n', eol: 'lf' }],
    });
    const created = previewFix({ kind: 'edit_files', files: [{ path: '.dockerignore', base_sha256: null, content: '.git\r\nbin' }] });
    expect(created.kind === 'files' && created.files[0]).toMatchObject({ isNew: true, lines: 2, eol: 'crlf' });
    expect(previewFix(timezone.auto_fix!.action)).toEqual({
      kind: 'commands',
      lines: ["sudo -n timedatectl set-timezone 'Asia/Shanghai'"],
    });
  });

  it('knows when a fix rewrites ferry.toml', () => {
    expect(editsConfig(archMismatch.auto_fix!.action)).toBe(true);
    expect(editsConfig(crlf.auto_fix!.action)).toBe(false);
    expect(editsConfig(timezone.auto_fix!.action)).toBe(false);
  });

  it('shows `backquoted` parts as code, leaving a lone backquote alone', () => {
    expect(codeSpans('add `*.sh text eol=lf` to .gitattributes')).toEqual([
      { code: false, text: 'add ' },
      { code: true, text: '*.sh text eol=lf' },
      { code: false, text: ' to .gitattributes' },
    ]);
    expect(codeSpans('a ` b')).toEqual([{ code: false, text: 'a ` b' }]);
    expect(codeSpans('`docker build`')).toEqual([{ code: true, text: 'docker build' }]);
  });
});
