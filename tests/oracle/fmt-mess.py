"""Scrambles the whitespace of an HCL file, deterministically for a seed, without changing its
tokens much: indentation removed or added, spaces around `=`, `,`, brackets, `?` and `:` varied,
trailing spaces added. Used to make tests/oracle/fmt/module_*_in.tf (see tests/oracle/fmt.sh).
    python3 tests/oracle/fmt-mess.py FILE SEED > OUT"""
import sys, re, random
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
src = open(sys.argv[1]).read()
out = []
for line in src.split('\n'):
    r = random.random()
    if r < 0.5:
        line = line.lstrip(' ')
    elif r < 0.7:
        line = '   ' + line
    line = re.sub(r'(?<=[^=!<> ]) *=(?![=>~]) *', lambda m: random.choice(['=', ' = ', '  =   ', '= ']), line)
    line = re.sub(r', *', lambda m: random.choice([',', ', ', ' ,  ']), line)
    line = re.sub(r'\( *', lambda m: random.choice(['(', '( ']), line)
    line = re.sub(r' *\)', lambda m: random.choice([')', ' )']), line)
    line = re.sub(r'\[ *', lambda m: random.choice(['[', '[ ']), line)
    line = re.sub(r' *\? *', lambda m: random.choice(['?', ' ? ', ' ?']), line)
    line = re.sub(r' *: *', lambda m: random.choice([':', ' : ', ' :']), line)
    line = re.sub(r'\{ *', lambda m: random.choice(['{', '{ ', '{  ']), line)
    line = re.sub(r' *\}', lambda m: random.choice(['}', ' }', '  }']), line)
    if random.random() < 0.3 and not re.search(r'<<-?\w+$', line):
        line = line + '  '
    out.append(line)
sys.stdout.write('\n'.join(out))
