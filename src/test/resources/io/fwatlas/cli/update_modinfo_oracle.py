#!/usr/bin/env python3
"""The rules of Debian firmware-nonfree's debian/bin/update-modinfo, rewritten for a test oracle.

usage: update_modinfo_oracle.py MODINFO KERNELDIR...

Asks the real kmod modinfo (the program MODINFO) for every module file, as update-modinfo does,
and prints the JSON it would write to debian/modinfo.json on standard output.
"""

import json
import os
import subprocess
import sys

SUFFIXES = ('.ko.xz', '.ko')  # the only names update-modinfo takes; .ko.zst and .ko.gz are not


def module_files(kernel_dir):
    """(key, file) for every module file below KERNELDIR/kernel; a walk error stops the run."""
    def fail(error):
        raise error
    for top, _, names in os.walk(os.path.join(kernel_dir, 'kernel'), onerror=fail):
        for name in names:
            for suffix in SUFFIXES:
                if name.endswith(suffix):
                    yield name[:len(name) - len(suffix)], os.path.join(top, name)
                    break


def field(modinfo, path, name):
    """The lines of `modinfo -F name path`, read as text (so universal newlines)."""
    text = subprocess.run([modinfo, '-F', name, path], check=True, stdout=subprocess.PIPE,
                          text=True).stdout
    return text.rstrip('\n').split('\n') if text else []


def main(modinfo, *kernel_dirs):
    table = {}
    for kernel_dir in kernel_dirs:
        for key, path in module_files(kernel_dir):
            firmware = set(field(modinfo, path, 'firmware'))
            if not firmware:
                continue
            aliases = {a for a in field(modinfo, path, 'alias') if ':' in a}
            entry = table.setdefault(key, {'alias': set(), 'firmware': set()})
            entry['alias'].update(aliases)
            entry['firmware'].update(firmware)
    out = {key: {name: sorted(values) for name, values in entry.items()}
           for key, entry in table.items()}
    json.dump(out, sys.stdout, indent=2, sort_keys=True)


if __name__ == '__main__':
    main(*sys.argv[1:])
