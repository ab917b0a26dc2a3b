#!/usr/bin/env python3
"""Mutation fuzzing of gouji's inputs: reports and rule packs.

Takes the test fixtures, the corpus and the rule packs, damages copies of them
(bytes flipped, cut short, pieces repeated, table and list syntax and odd numbers
put in) and runs `gouji check` on each. A case is kept in OUT when gouji
  - exits with anything but 0, 1 or 2, or a sanitizer reports an error;
  - takes longer than the time limit;
  - refuses a damaged rule pack without naming a line and column of it.
Meant for a sanitizer build (`make test-sanitize` makes build-asan/gouji). Not
part of the suite: its cases are random, and it runs for as long as it is told.

  scripts/fuzz-inputs.py [--gouji build-asan/gouji] [--seconds 300] [--seed 1]
                         [--what reports|packs|both] [--out fuzz-out]
"""
import argparse
import glob
import os
import random
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Pieces that reach the readers' and the narrative's special cases.
REPORT_PIECES = [b'|', b'\n', b'\r', b'\x00', b'\xff\xfe', b'99999999999999999999', b'-', b'.',
                 b'1e308', b'0.0000001', b'<table><tr><td>', b'</td></tr>', b'<div>' * 50] + [
    s.encode() for s in ['。', '%', '共', '件', '其中', '占', '（一）', '表三', '总计', '约', '万', '二〇二一年']]
# Pieces of YAML and of the rule language.
PACK_PIECES = [b'(', b')', b'[', b']', b'"', b"'", b':', b'\n', b'  ', b'-', b'{', b'}', b'sum(',
               b'filter(x in ', b'matches(', b'.*', b'(a+)+', b'==', b'~=', b'and ', b'not ', b'if ',
               b' then ', b' else ', b'\xe8', b'\t', b'&a', b'*a', b'!!int', b'---', b'%', b'{x:.2f}',
               b'previous(', b'r[c]', b'9' * 30, '表三.'.encode()]


def damaged(data, pieces, rng, edits):
    data = bytearray(data)
    for _ in range(rng.randint(1, edits)):
        if not data:
            break
        at = rng.randrange(len(data))
        op = rng.random()
        if op < 0.3:
            data[at] = rng.randrange(256)
        elif op < 0.6:
            data[at:at] = rng.choice(pieces) * rng.randint(1, 3)
        elif op < 0.75:
            del data[at:at + rng.randint(1, 200)]
        elif op < 0.85:
            data = data[:at]
        else:
            source = rng.randrange(len(data))
            data[at:at] = data[source:source + rng.randint(1, 400)]
    return bytes(data)


def files(patterns):
    found = []
    for pattern in patterns:
        found += [f for f in glob.glob(os.path.join(ROOT, pattern), recursive=True) if os.path.isfile(f)]
    return sorted(found)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--gouji', default=os.path.join(ROOT, 'build-asan', 'gouji'))
    ap.add_argument('--seconds', type=float, default=300)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--what', choices=['reports', 'packs', 'both'], default='both')
    ap.add_argument('--out', default='fuzz-out')
    ap.add_argument('--timeout', type=float, default=20, help='seconds one case may take')
    args = ap.parse_args()
    if not os.access(args.gouji, os.X_OK):
        sys.exit(f'{args.gouji}: no gouji program there (make test-sanitize builds build-asan/gouji)')
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    reports = [f for f in files(['tests/fixtures/**/*', 'tests/corpus/**/*'])
               if f.endswith(('.txt', '.md', '.html', '.docx', '.pdf'))]
    packs = files(['rulepacks/*.yaml', 'tests/cases/**/*.yaml', 'examples/**/*.yaml'])
    clean_reports = [f for f in reports if '/corpus/' in f and f.endswith('.txt')] or reports
    deadline = time.time() + args.seconds
    cases = kept = 0
    while time.time() < deadline:
        fuzz_pack = args.what == 'packs' or (args.what == 'both' and rng.random() < 0.5)
        if fuzz_pack:
            source = rng.choice(packs)
            case = os.path.join(args.out, 'case.yaml')
            open(case, 'wb').write(damaged(open(source, 'rb').read(), PACK_PIECES, rng, 5))
            command = [args.gouji, 'check', '--jobs', '1', '--pack', case, rng.choice(clean_reports)]
        else:
            source = rng.choice(reports)
            case = os.path.join(args.out, 'case' + os.path.splitext(source)[1])
            open(case, 'wb').write(damaged(open(source, 'rb').read(), REPORT_PIECES, rng, 8))
            command = [args.gouji, 'check', '--jobs', '1', '--format', 'json', case]
        cases += 1
        try:
            run = subprocess.run(command, capture_output=True, timeout=args.timeout)
            err = run.stderr.decode('utf-8', 'replace')
            if run.returncode not in (0, 1, 2) or 'Sanitizer' in err or 'runtime error' in err:
                why = f'exit {run.returncode}'
            elif fuzz_pack and run.returncode == 2 and 'case.yaml' in err and not re.search(r'case\.yaml:\d+:\d+', err):
                why = 'pack refused without a line and column'
            else:
                continue
        except subprocess.TimeoutExpired:
            why = f'took over {args.timeout:g} s'
        kept += 1
        keep = os.path.join(args.out, f'kept-{kept}' + os.path.splitext(case)[1])
        os.replace(case, keep)
        print(f'{keep}: {why} (from {os.path.relpath(source, ROOT)})', flush=True)
    for leftover in glob.glob(os.path.join(args.out, 'case.*')):
        os.remove(leftover)  # the last cases, which passed: only kept ones stay
    print(f'{cases} cases, {kept} kept in {args.out}')
    sys.exit(1 if kept else 0)


if __name__ == '__main__':
    main()
