#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vamap-report's HTML page as a real browser draws it (issue 26): Debian's
Chromium, headless, renders the page of a run with real addresses, and the
test reads back what the browser laid out and what it painted:

- every runtime region and every piece of one has a box of at least 1 px,
  inside the SVG;
- no two text labels overlap;
- each region and piece wide enough to sample is painted, at its centre in
  the screenshot, in its permission's colour (RW blue, RX orange: never
  the RWX red a region's pre-attributes-table default would give);
- the inset: the slot the regions lie in, their extent marked in it, the
  zoom joining it to the regions' own bar.

Without chromium (apt-get install chromium; .ci/run installs it) it says
so on a "skip - " line and checks nothing.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REPORT = os.path.join(TOP, "tools", "vamap-report")
failures = 0


def check(cond, what, detail=""):
    global failures
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failures += 1
        if detail:
            print("  " + str(detail)[:800].replace("\n", "\n  "))


# A run's log, with addresses as an unmasked log has them: the layout, an
# efi=slot mapping of five regions (one split by the attributes table into
# RW, RX, RW pieces), the verdicts.
LOG = """vamap 0.1: UEFI runtime services in a mapping we own
== machine
machine: firmware.vendor      EDK II
== layout
layout: 0x0000000000000000-0x0000800000000000 PGD   0..255 user half: 1:1 maps in efi_pgd, trampoline_pgd
layout: 0xffff888000000000-0xffffc88000000000 PGD 273..400 direct map
layout: 0xffffc90000000000-0xffffe90000000000 PGD 402..465 late mappings
layout: 0xffffff0000000000-0xffffff8000000000 PGD 510..510 EFI slot (efi=slot)
layout: 0xffffffef00000000-0xffffffff00000000 PGD 511..511 EFI Linux window (efi=linux)
layout: 0xffffffff80000000-0xffffffffc0000000 PGD 511..511 kernel image
layout: 0xffffffffffc00000-0xffffffffffe00000 PGD 511..511 fixmap
== efi (efi=slot)
efi: map: RuntimeData  0x000000007e000000-0x000000007e3fffff -> 0xffffff7ffe000000 RW [RUN|WB] desc 80
efi: map: RuntimeCode  0x000000007f000000-0x000000007f2fffff -> 0xffffff7fff000000 RW+RX [RUN|WB] desc 81
efi: map:   piece 0xffffff7fff000000-0xffffff7fff0fffff RW
efi: map:   piece 0xffffff7fff100000-0xffffff7fff1fffff RX
efi: map:   piece 0xffffff7fff200000-0xffffff7fff2fffff RW
efi: map: RuntimeData  0x000000007f300000-0x000000007f303fff -> 0xffffff7fff300000 RW [RUN|WB] desc 82
efi: map: RuntimeCode  0x000000007f400000-0x000000007f5fffff -> 0xffffff7fff400000 RX [RUN|WB] desc 83
efi: map: MMIO         0x00000000ffc00000-0x00000000ffffffff -> 0xffffff7fffc00000 RW [RUN|UC] desc 84
KTAP version 1
ok 1 efi.wx # [high] 0 W+X pages in efi_pgd
1..1
vamap: PASS (1 passed, 0 failed, 0 skipped, 0 waived)
"""

# Run in the page once it is laid out: every text's and rect's box, as
# JSON in a <pre> that --dump-dom prints.
PROBE = """<script>
(function () {
  var svg = document.querySelector("svg"), out = {texts: [], rects: []};
  var s = svg.getBoundingClientRect();
  out.svg = [s.left, s.top, s.right, s.bottom];
  document.querySelectorAll("svg text").forEach(function (t) {
    var b = t.getBoundingClientRect();
    out.texts.push({s: t.textContent, box: [b.left, b.top, b.right, b.bottom]});
  });
  document.querySelectorAll("svg rect[data-kind]").forEach(function (r) {
    var b = r.getBoundingClientRect();
    out.rects.push({kind: r.dataset.kind, name: r.dataset.name,
                    fill: r.getAttribute("fill"),
                    box: [b.left, b.top, b.right, b.bottom]});
  });
  out.zoom = document.querySelectorAll("svg [data-kind=inset-zoom]").length;
  var pre = document.createElement("pre");
  pre.id = "vamap-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def png_pixels(path):
    """(width, height, rows) of an 8-bit RGB or RGBA PNG: rows of bytes,
    3 or 4 per pixel (PNG specification, 1.2: IHDR, IDAT, filters 0-4)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else
                                      b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def overlap(a, b):
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and \
        a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def main():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("skip - the HTML page in a browser: no chromium here "
              "(apt-get install chromium; .ci/run installs it)")
        return 0
    with tempfile.TemporaryDirectory() as d:
        log, page = os.path.join(d, "run.log"), os.path.join(d, "run.html")
        open(log, "w").write(LOG)
        p = subprocess.run([sys.executable, REPORT, "html", log, "-o", page],
                           capture_output=True, text=True)
        check(p.returncode == 0, "vamap-report html writes the page",
              p.stdout + p.stderr)
        text = open(page).read().replace("</body>", PROBE + "</body>")
        probed = os.path.join(d, "probed.html")
        open(probed, "w").write(text)
        base = [browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=1100,1400", "--user-data-dir=" +
                os.path.join(d, "profile")]
        dom = subprocess.run(base + ["--dump-dom", "file://" + probed],
                             capture_output=True, text=True, timeout=120)
        start = dom.stdout.find('<pre id="vamap-probe">')
        check(start >= 0, "chromium lays the page out and runs the probe",
              dom.stderr[-500:])
        if start < 0:
            return 1
        body = dom.stdout[start + len('<pre id="vamap-probe">'):]
        body = body[:body.index("</pre>")]
        body = body.replace("&quot;", '"').replace("&lt;", "<") \
            .replace("&gt;", ">").replace("&amp;", "&")
        lay = json.loads(body)

        svg = lay["svg"]
        regions = [r for r in lay["rects"] if r["kind"] == "region"]
        pieces = [r for r in lay["rects"] if r["kind"] == "piece"]
        names = sorted({r["name"] for r in regions})
        check(names == [f"desc {n}" for n in range(80, 85)],
              "every runtime region is drawn", names)
        small = [r for r in regions + pieces
                 if r["box"][2] - r["box"][0] < 1 or
                 not (svg[0] <= r["box"][0] and r["box"][2] <= svg[2] + 0.5)]
        check(not small, "every region and piece is at least 1 px wide, "
              "inside the SVG", small)
        clash = [(a["s"], b["s"]) for i, a in enumerate(lay["texts"])
                 for b in lay["texts"][i + 1:] if overlap(a["box"], b["box"])]
        check(not clash, f"no two of the {len(lay['texts'])} labels overlap",
              clash)
        inset = [r for r in lay["rects"] if r["kind"] == "inset-extent"]
        check(len(inset) == 1 and lay["zoom"] == 1 and
              any(r["kind"] == "inset-slot" and r["name"] == "PGD 510"
                  for r in lay["rects"]),
              "the inset: PGD slot 510 to scale, the regions' extent in it, "
              "the zoom to their bar", lay["rects"][-3:])

        shot = os.path.join(d, "shot.png")
        subprocess.run(base + ["--screenshot=" + shot, "file://" + page],
                       capture_output=True, timeout=120)
        check(os.path.exists(shot), "chromium takes the screenshot")
        if not os.path.exists(shot):
            return 1
        w, h, rows, bpp = png_pixels(shot)
        wrong, sampled = [], 0
        for r in pieces + [g for g in regions if "+" not in (g["fill"] or "")]:
            x0, y0, x1, y1 = r["box"]
            if x1 - x0 < 6 or r["fill"] in (None, "#806098"):
                continue
            if r["kind"] == "region" and any(
                    p["name"] == r["name"] for p in pieces):
                continue  # painted over by its pieces
            x, y = int((x0 + x1) / 2), int((y0 + y1) / 2)
            px = rows[y][x * bpp:x * bpp + 3]
            want = bytes.fromhex(r["fill"][1:])
            sampled += 1
            if max(abs(a - b) for a, b in zip(px, want)) > 3:
                wrong.append((r["name"], r["kind"], r["fill"], px.hex()))
        check(sampled >= 5 and not wrong, f"the {sampled} regions and pieces "
              "wide enough to sample are painted in their permission's "
              "colour", wrong)
        red = [r for r in regions + pieces if r["fill"] == "#e05050"]
        check(not red, "no RWX red on a run whose efi.wx found no W+X page",
              red)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
