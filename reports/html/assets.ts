// The files the HTML report inlines: uPlot's script and stylesheet (found through the installed
// package, so the version in package.json is the one shipped) and the report's own stylesheet
// and browser script, which sit beside this file. Read once, on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Assets {
  uplotJs: string;
  uplotCss: string;
  css: string;
  client: string;
}

let cached: Assets | undefined;

export function assets(): Assets {
  if (cached) return cached;
  const uplot = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  const here = dirname(fileURLToPath(import.meta.url));
  const read = (path: string) => readFileSync(path, 'utf8');
  cached = {
    uplotJs: inlineScript(read(join(uplot, 'uPlot.iife.min.js'))),
    uplotCss: inlineStyle(read(join(uplot, 'uPlot.min.css'))),
    css: inlineStyle(read(join(here, 'style.css'))),
    client: inlineScript(read(join(here, 'client.js'))),
  };
  return cached;
}

/** A script's text can end its `<script>` element early: break every `</script` apart. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}
