#!/usr/bin/env python3
"""cli-manpage.py BINARY OUTPUT NAME-LINE [INCLUDE]: writes the man page of chronoscope-cli from its own help.

The page is made from `BINARY --help`, `BINARY help <command>` for every command that help lists, and
`BINARY --version`, so it says what the binary says (help2man reads only one --help; the CLI has one per
command). Blocks are recognised by their shape: "Usage:" lines, "Heading:" followed by an indented
"  --option <arg>   text" list, "Exit codes:", and paragraphs; anything else is kept verbatim. INCLUDE holds
roff appended at the end (SEE ALSO). The date is SOURCE_DATE_EPOCH's when set."""
import datetime
import os
import re
import subprocess
import sys

ITEM = re.compile(r'^  (\S.*?)(?:\s{2,}(\S.*))?$')


def run(*args):
    env = dict(os.environ, QT_QPA_PLATFORM='offscreen')
    return subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout


def roff(text):
    text = text.replace('\\', '\\e').replace('\u2026', '...').replace('\u2013', '-').replace('\u2014', '--')
    text = text.replace('\u2018', "'").replace('\u2019', "'").replace('\u201c', '"').replace('\u201d', '"')
    text = re.sub(r'(?<![\w])-', r'\\-', text)
    return re.sub(r"^([.'])", r'\\&\1', text, flags=re.M)


def blocks(help_text):
    """Splits help text into blocks separated by blank lines."""
    current = []
    for line in help_text.rstrip().splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            yield current
            current = []
    if current:
        yield current


def render_items(lines, out):
    """An indented list: '  term   text' items (a term is an option, or one word before a gap), continuation
    lines indented deeper; two-space-indented lines of prose after them are a paragraph."""
    term, text, prose = None, [], []

    def flush():
        if term is not None:
            out.append('.TP\n.B %s\n%s' % (roff(term), roff(' '.join(text))))
        if prose:
            out.append('.PP\n' + roff(' '.join(prose)))

    for line in lines:
        m = ITEM.match(line)
        is_item = m and not line.startswith('   ') and (line.strip().startswith('-') or (m.group(2) and ' ' not in m.group(1)))
        if is_item and not prose:
            flush()
            term, text = m.group(1), [m.group(2)] if m.group(2) else []
        elif line.startswith('   ') and term is not None and not prose:
            text.append(line.strip())
        else:
            if term is not None and not prose:
                flush()
                term, text = None, []
            prose.append(line.strip())
    flush()


def render(help_text, out, sections):
    """Renders one help text; `sections` maps a heading (e.g. 'Commands') to a roff heading line."""
    for block in blocks(help_text):
        first = block[0]
        if first.startswith('Usage:'):
            out.append(sections.get('Usage', '.PP'))
            out.append('.nf\n' + roff('\n'.join([first[len('Usage:'):].strip()] + [l.strip() for l in block[1:]])) + '\n.fi')
            out.append(sections.get('after Usage', ''))
        elif first.startswith('Exit codes:'):
            lines = [first[len('Exit codes:'):].strip()] + [l.strip() for l in block[1:]]
            out.append(sections.get('Exit codes', '.PP\n.B Exit codes'))
            for line in lines:
                for part in re.split(r',\s+(?=\d+\s)', line):  # "0 done, 1 error (a, b)," on one line
                    m = re.match(r'^(\d+)\s+(.*?),?$', part)
                    out.append('.TP\n.B %s\n%s' % (m.group(1), roff(m.group(2))) if m else roff(part))
        elif re.match(r'^\S[^:]*:$', first):
            heading = first[:-1]
            out.append(sections.get(heading, '.PP\n.B %s' % roff(heading)))
            render_items(block[1:], out)
        elif all(l.startswith('  ') for l in block):
            render_items(block, out)
        else:
            out.append('.PP\n' + roff(' '.join(l.strip() for l in block)))


def main():
    binary, output, name_line = sys.argv[1:4]
    include = open(sys.argv[4]).read() if len(sys.argv) > 4 else ''
    program = os.path.basename(binary)
    top = run(binary, '--help')
    version = run(binary, '--version').strip()
    commands = []
    in_commands = False
    for line in top.splitlines():
        if re.match(r'^\S[^:]*:$', line):
            in_commands = line == 'Commands:'
        elif in_commands and ITEM.match(line) and not line.startswith('   '):
            commands.append(line.split()[0])
        elif not line.strip():
            in_commands = False
    epoch = os.environ.get('SOURCE_DATE_EPOCH')
    when = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now()
    out = ['.\\" Made by packaging/man/cli-manpage.py from %s --help and help <command>: do not edit.' % program,
           '.TH %s 1 "%s" "%s" "User Commands"' % (program.upper(), when.strftime('%B %Y'), roff(version)),
           '.SH NAME', '%s \\- %s' % (roff(program), roff(name_line))]
    render(top, out, {'Usage': '.SH SYNOPSIS', 'after Usage': '.SH DESCRIPTION', 'Commands': '.SH COMMANDS',
                      'Every command': '.SH "OPTIONS OF EVERY COMMAND"', 'Exit codes': '.SH "EXIT STATUS"'})
    for command in commands:
        out.append('.SH "%s %s"' % (roff(program).upper(), roff(command).upper()))
        render(run(binary, 'help', command), out, {'Options': '.SS Options', 'Exit codes': '.SS "Exit status"'})
    out.append(include.rstrip())
    with open(output, 'w') as f:
        f.write('\n'.join(part for part in out if part) + '\n')


if __name__ == '__main__':
    main()
