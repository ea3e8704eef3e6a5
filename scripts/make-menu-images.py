#!/usr/bin/env python3
"""Draws the demo menu's pictures as small SVG files in public/menu/ (run once; the output is committed)."""
import math, os, random

OUT = os.path.join(os.path.dirname(__file__), "..", "public", "menu")

def pizza(name, sauce, cheese, toppings):
    rnd = random.Random(name)
    dots = []
    for colour, radius, count in toppings:
        for _ in range(count):
            a, r = rnd.uniform(0, 2 * math.pi), 52 * math.sqrt(rnd.uniform(0.02, 1))
            dots.append(f'<circle cx="{80 + r * math.cos(a):.1f}" cy="{80 + r * math.sin(a):.1f}" r="{radius}" fill="{colour}"/>')
    cheese_blobs = "".join(
        f'<circle cx="{80 + 40 * math.cos(i * 1.3):.1f}" cy="{80 + 40 * math.sin(i * 1.7):.1f}" r="{rnd.uniform(9, 15):.1f}" fill="{cheese}" opacity=".9"/>'
        for i in range(9)
    ) if cheese else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160" role="img">'
        '<circle cx="80" cy="80" r="76" fill="#d9a35b"/><circle cx="80" cy="80" r="64" fill="#c98a3f" opacity=".35"/>'
        f'<circle cx="80" cy="80" r="62" fill="{sauce}"/>{cheese_blobs}{"".join(dots)}</svg>\n'
    )

def glass(liquid, bubbles):
    rnd = random.Random(liquid)
    b = "".join(f'<circle cx="{rnd.uniform(58, 102):.1f}" cy="{rnd.uniform(60, 130):.1f}" r="{rnd.uniform(1.5, 3.5):.1f}" fill="#fff" opacity=".6"/>' for _ in range(bubbles))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160" role="img">'
        '<path d="M45 20h70l-10 125H55z" fill="#e8f1f5" stroke="#9fb7c2" stroke-width="3"/>'
        f'<path d="M50 50h60l-7 92H57z" fill="{liquid}"/>{b}</svg>\n'
    )

def dessert(layers, top):
    y, parts = 120, []
    for colour, height in layers:
        parts.append(f'<rect x="30" y="{y - height}" width="100" height="{height}" rx="4" fill="{colour}"/>')
        y -= height
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160" role="img">'
        '<ellipse cx="80" cy="126" rx="66" ry="12" fill="#e9e4dc"/>' + "".join(parts)
        + f'<rect x="30" y="{y - 6}" width="100" height="8" rx="4" fill="{top}"/></svg>\n'
    )

IMAGES = {
    "margherita": pizza("margherita", "#c8392b", "#f6efd9", [("#3f8f3a", 5, 6)]),
    "marinara": pizza("marinara", "#c0392b", None, [("#f3e6c4", 3, 14), ("#5d7d2f", 2, 20)]),
    "diavola": pizza("diavola", "#c8392b", "#f6efd9", [("#8e1f1a", 9, 10), ("#e74c3c", 2, 12)]),
    "quattro-formaggi": pizza("quattro", "#f3e3b3", "#fff7e0", [("#b7c4a1", 6, 6), ("#f1d27a", 6, 8)]),
    "capricciosa": pizza("capricciosa", "#c8392b", "#f6efd9", [("#e8a6a0", 8, 5), ("#8b6b4a", 6, 7), ("#6f8f3a", 6, 5), ("#222", 3, 8)]),
    "funghi": pizza("funghi", "#c8392b", "#f6efd9", [("#8b6b4a", 7, 12), ("#3f8f3a", 2, 10)]),
    "lemonade": glass("#f7e27a", 12),
    "water": glass("#cfe8f3", 20),
    "chinotto": glass("#4a2c1d", 8),
    "tiramisu": dessert([("#6b4a2e", 18), ("#f4ecd8", 22), ("#6b4a2e", 16), ("#f4ecd8", 22)], "#5a3a22"),
    "panna-cotta": dessert([("#fbf6ea", 50)], "#8e1f3f"),
}

for name, svg in IMAGES.items():
    with open(os.path.join(OUT, f"{name}.svg"), "w") as f:
        f.write(svg)
print(f"wrote {len(IMAGES)} images to {os.path.normpath(OUT)}")
