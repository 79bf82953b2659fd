"""A TrueType CJK font that reportlab can embed, cut from the Noto Sans CJK SC shipped by manimgx-fonts-cjk.

reportlab embeds TrueType (glyf) outlines only; Noto Sans CJK is a CFF2 variable collection. For the characters
of one document we subset the SC face, pin it at Regular and redraw the outlines as quadratic TrueType glyphs —
a few hundred glyphs, so the slip carries its own font and prints the same in every reader (a CID font that is
not embedded leaves the Chinese blank on a phone or printer without that font)."""

from __future__ import annotations

import hashlib
import io
import logging
from functools import lru_cache
from pathlib import Path

SC_FACE = "Noto Sans CJK SC"


def _collection_path() -> Path:
    import manimgx_fonts_cjk

    return next(Path(manimgx_fonts_cjk.__file__).parent.glob("*.tt[cf]"))


@lru_cache(maxsize=64)
def truetype_subset(text: str) -> bytes:
    """TrueType font bytes holding the glyphs of `text` (plus ASCII), Noto Sans CJK SC Regular."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection, newTable
    from fontTools.varLib import instancer

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    collection = TTCollection(str(_collection_path()), lazy=True)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == SC_FACE)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    chars = set(text) | {chr(c) for c in range(32, 127)}
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    font = instancer.instantiateVariableFont(font, {"wght": 400})
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    for table in ("CFF2", "CFF ", "VORG", "HVAR", "VVAR", "STAT", "BASE", "GDEF", "GPOS", "GSUB", "DSIG"):
        if table in font:
            del font[table]
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = font.getGlyphOrder()
    font.sfntVersion = "\x00\x01\x00\x00"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def register_for(text: str) -> str:
    """Register with reportlab a font covering `text`; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "NotoSC-" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(truetype_subset(text))))
    return name
