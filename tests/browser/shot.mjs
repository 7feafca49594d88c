// Screenshots of a built site for a person to look at: node shot.mjs URL OUT.png [width height] [dark]
import { chromium } from "playwright-core";
const [url, out, w = "1440", h = "900", scheme = "light"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const page = await browser.newPage({ viewport: { width: +w, height: +h }, colorScheme: scheme });
await page.goto(url);
await page.waitForTimeout(300);
await page.screenshot({ path: out });
await browser.close();
