// Do two builds of a site look the same? For every code block (`pre.ep-code`) of the given
// pages in both builds, in the light and dark themes and in print:
//   - every non-space character's computed colour, font style, weight and decoration, and its
//     position (these must match: a differing style is a change of look);
//   - a screenshot, compared pixel by pixel. Moving a span edge (say, a space into the span
//     before it) can shift the glyphs after it by a fraction of a pixel of layout rounding,
//     which changes anti-aliasing but not the look: the shift is reported, and only one of
//     half a pixel or more fails.
// For changes that should only make the HTML lighter (fewer spans, another default colour).
//
// usage: node bench/same_look.mjs BEFORE_DIR AFTER_DIR PAGE...   (PAGE relative to each dir)
//        e.g. node bench/same_look.mjs /tmp/before /tmp/after audit/2.html index.html
// Needs `npm ci` in tests/browser (playwright-core) and Chromium at /usr/bin/chromium.
// Blocks are paired by their text. Exits 1 on a style difference, a shift of half a pixel or
// more, or no block found; writes the differing pairs as PNGs to $SAME_LOOK_OUT if set.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [before, after, ...pages] = process.argv.slice(2);
if (!before || !after || pages.length === 0) {
  console.error("usage: node bench/same_look.mjs BEFORE_DIR AFTER_DIR PAGE...");
  process.exit(2);
}
const saveTo = process.env.SAME_LOOK_OUT;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

// Every code block of one page, as PNG buffers, in one theme and medium.
async function shots(dir, page, scheme, media) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
  const tab = await context.newPage();
  await tab.emulateMedia({ media, colorScheme: scheme });
  await tab.goto("file://" + resolve(dir, page));
  // Hidden tab panels are shown so that every sample is measured.
  await tab.addStyleTag({ content: ".ep-sample[hidden] { display: block !important; } *, *::before { transition: none !important; caret-color: transparent !important; }" });
  await tab.waitForTimeout(100);
  const theme = await tab.evaluate(() => document.documentElement.getAttribute("data-theme"));
  const blocks = tab.locator("pre.ep-code");
  const out = [];
  for (let i = 0, n = await blocks.count(); i < n; i++) {
    const block = blocks.nth(i);
    if (!(await block.isVisible())) continue;
    out.push({ text: await block.textContent(), chars: await block.evaluate(characters), png: await block.screenshot({ animations: "disabled" }) });
  }
  await context.close();
  return { theme, out };
}

// Each non-space character of a block: the character, its style and its position.
function characters(pre) {
  const out = [];
  const range = document.createRange();
  const walk = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  for (let node; (node = walk.nextNode()); ) {
    const st = getComputedStyle(node.parentElement);
    const style = [st.color, st.fontStyle, st.fontWeight, st.textDecorationLine].join(" ");
    for (let i = 0; i < node.data.length; i++) {
      if (/\s/.test(node.data[i])) continue;
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      out.push([node.data[i], style, box.x, box.y]);
    }
  }
  return out;
}

// Pixels that differ between two PNGs, decoded by the browser itself.
async function differingPixels(compare, a, b) {
  return compare.evaluate(async ([a, b]) => {
    const load = async (b64) => {
      const img = new Image();
      img.src = "data:image/png;base64," + b64;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, img.width, img.height);
    };
    const [x, y] = [await load(a), await load(b)];
    if (x.width !== y.width || x.height !== y.height) return -1;
    let diff = 0;
    for (let i = 0; i < x.data.length; i += 4) {
      if (x.data[i] !== y.data[i] || x.data[i + 1] !== y.data[i + 1] || x.data[i + 2] !== y.data[i + 2] || x.data[i + 3] !== y.data[i + 3]) diff++;
    }
    return diff;
  }, [a.toString("base64"), b.toString("base64")]);
}

const compare = await browser.newPage();
let blocks = 0, differing = 0, pixels = 0, chars = 0, restyled = 0, shift = 0;
for (const page of pages) {
  for (const [scheme, media] of [["light", "screen"], ["dark", "screen"], ["light", "print"]]) {
    const [x, y] = [await shots(before, page, scheme, media), await shots(after, page, scheme, media)];
    // Blocks are paired by their text, so pages that split docs differently still compare
    // the blocks they share.
    const pairs = [];
    const unused = [...x.out];
    for (const shot of y.out) {
      const at = unused.findIndex((b) => b.text === shot.text);
      if (at < 0) continue;
      const was = unused.splice(at, 1)[0];
      pairs.push([was.png, shot.png]);
      was.chars.forEach((c, i) => {
        const now = shot.chars[i];
        chars++;
        if (c[0] !== now[0] || c[1] !== now[1]) {
          if (restyled++ < 5) console.log(`${page} ${scheme}/${media}: ${JSON.stringify(c)} became ${JSON.stringify(now)}`);
        }
        shift = Math.max(shift, Math.abs(c[2] - now[2]), Math.abs(c[3] - now[3]));
      });
    }
    let here = 0;
    for (let i = 0; i < pairs.length; i++) {
      const d = await differingPixels(compare, pairs[i][0], pairs[i][1]);
      pixels += d * (d > 0);
      if (d !== 0) {
        here++;
        if (saveTo) {
          writeFileSync(`${saveTo}/${page.replace(/\W/g, "_")}-${scheme}-${media}-${i}-before.png`, pairs[i][0]);
          writeFileSync(`${saveTo}/${page.replace(/\W/g, "_")}-${scheme}-${media}-${i}-after.png`, pairs[i][1]);
        }
      }
    }
    const area = pairs.reduce((sum, [png]) => sum + png.readUInt32BE(16) * png.readUInt32BE(20), 0);
    console.log(`${page} ${scheme}/${media} (data-theme=${x.theme}): ${pairs.length} code blocks in both (of ${x.out.length} before, ${y.out.length} after), ${area} px, ${here} differ`);
    blocks += pairs.length;
    differing += here;
  }
}
await browser.close();
console.log(`${blocks} code blocks compared: ${chars} characters, ${restyled} of another colour or style, moved at most ${shift} px; ${differing} screenshots differ (${pixels} pixels)`);
process.exit(restyled || shift >= 0.5 || blocks === 0 ? 1 : 0);
