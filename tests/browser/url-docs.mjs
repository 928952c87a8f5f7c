// url-docs.mjs — the URL parameter lists of README.md ("Embedding a lab") and
// web/embed-example.html, rendered from the labs' URL tables (window.implay.urlTable(), built from
// each lab's table in src/app/labs/*_lab.cpp). url-state.test.mjs fails when a file disagrees;
// IMPLAY_UPDATE_DOCS=1 makes it rewrite the lists instead.
import fs from 'node:fs';

export const README_BEGIN = '<!-- url-params: generated from the labs\' URL tables; tests/browser/url-state.test.mjs checks it -->';
export const README_END = '<!-- /url-params -->';
export const HTML_BEGIN = '<!-- url-params: generated from the labs\' URL tables; tests/browser/url-state.test.mjs checks it -->';
export const HTML_END = '<!-- /url-params -->';

const code = (s) => '`' + s + '`';
const escapeHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// "`l1` | `l2`" for choices, "1–25" for ranges, "0 or 1" for switches.
function allowedMarkdown(setting) {
  if (setting.kind === 'choice') return setting.choices.map(code).join(' | ');
  return setting.allowed;
}

function labsWithSettings(table) {
  return table.lab_keys.filter((key) => table.labs[key] && table.labs[key].settings.length > 0);
}

export function renderReadme(table) {
  const frame = table.frame_panels.map((p) => code(p.name)).join(', ');
  const lines = [
    README_BEGIN,
    `- ${code('lab')} = ${table.lab_keys.map(code).join(' | ')}; ${code('embed=1')} hides the navigation; ` +
      `${code('hide=')} names panels to leave out, comma-separated (each lab's below, and ${frame} in every lab); ` +
      `${code('lock=1')} makes the settings read-only for a focused exercise.`,
  ];
  for (const key of labsWithSettings(table)) {
    const lab = table.labs[key];
    lines.push(`- ${lab.title} (${code('lab=' + key)}):`);
    for (const s of lab.settings) lines.push(`  - ${code(s.key)} = ${allowedMarkdown(s)}: ${s.doc}`);
    if (lab.panels.length)
      lines.push(`  - panels for ${code('hide=')}: ` + lab.panels.map((p) => `${code(p.name)} (${p.doc})`).join(', '));
  }
  lines.push(README_END);
  return lines.join('\n');
}

export function renderHtml(table) {
  const frame = table.frame_panels.map((p) => `<code>${p.name}</code>`).join(', ');
  const lines = [
    HTML_BEGIN,
    '  <ul>',
    `    <li><code>lab</code> = ${table.lab_keys.map((k) => `<code>${k}</code>`).join(' | ')}; <code>embed=1</code> hides ` +
      `the navigation; <code>hide=</code> names panels to leave out, comma-separated (each lab's below, and ${frame} ` +
      'in every lab); <code>lock=1</code> makes the settings read-only.</li>',
  ];
  for (const key of labsWithSettings(table)) {
    const lab = table.labs[key];
    lines.push(`    <li>${escapeHtml(lab.title)} (<code>lab=${key}</code>):`, '      <ul>');
    for (const s of lab.settings) {
      const allowed = s.kind === 'choice' ? s.choices.map((c) => `<code>${c}</code>`).join(' | ') : escapeHtml(s.allowed);
      lines.push(`        <li><code>${s.key}</code> = ${allowed}: ${escapeHtml(s.doc)}</li>`);
    }
    if (lab.panels.length)
      lines.push('        <li>panels for <code>hide=</code>: ' +
        lab.panels.map((p) => `<code>${p.name}</code> (${escapeHtml(p.doc)})`).join(', ') + '</li>');
    lines.push('      </ul>', '    </li>');
  }
  lines.push('  </ul>', '  ' + HTML_END);
  return lines.join('\n');
}

// The text between begin and end (markers included) in `file`, or null when it has none.
export function section(text, begin, end) {
  const a = text.indexOf(begin), b = text.indexOf(end);
  return a < 0 || b < a ? null : text.slice(a, b + end.length);
}

// Replaces the section of `file` with `rendered` (IMPLAY_UPDATE_DOCS=1).
export function rewriteSection(file, begin, end, rendered) {
  const text = fs.readFileSync(file, 'utf8');
  const old = section(text, begin, end);
  if (old === null) throw new Error(`${file} has no ${begin} … ${end} section`);
  fs.writeFileSync(file, text.replace(old, rendered));
}
