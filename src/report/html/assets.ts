/**
 * The report's only style sheet and script. They are inlined and allowed by their hashes in
 * the page's Content-Security-Policy, so nothing else can run or load. The script only adds
 * to a page that is complete without it (filters, search, copy buttons).
 */

export const reportCss = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--code:#eff2f5;--link:#0969da;
--critical:#cf222e;--critical-bg:#ffebe9;--warning:#9a6700;--warning-bg:#fff8c5;--info:#0969da;--info-bg:#ddf4ff;--ok:#1a7f37}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--code:#212830;--link:#4493f8;
--critical:#ff7b72;--critical-bg:#3c1618;--warning:#d29922;--warning-bg:#341f00;--info:#4493f8;--info-bg:#0c2d6b;--ok:#3fb950}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:72rem;padding:1rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
a{color:var(--link)}
h1{font-size:1.5rem;margin:0 0 .25rem}
h2{font-size:1rem;margin:0 0 .5rem;color:var(--muted);font-weight:600}
h3{font-size:.8rem;margin:.75rem 0 .25rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
header{border-bottom:1px solid var(--line);padding-bottom:.75rem;margin-bottom:1rem}
header p{margin:.1rem 0;color:var(--muted)}
.source strong{color:var(--fg)}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.75rem 0 0}
.count{border:1px solid var(--line);border-radius:.5rem;padding:.35rem .75rem;min-width:7rem}
.count .n{display:block;font-size:1.5rem;font-weight:700;line-height:1.2}
.count.critical .n{color:var(--critical)}.count.warning .n{color:var(--warning)}.count.info .n{color:var(--info)}
.filters{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:end;margin:0 0 1rem;padding:.75rem;background:var(--panel);border:1px solid var(--line);border-radius:.5rem}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);flex:1 1 9rem}
.filters label.search{flex:3 1 14rem}
.filters select,.filters input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:.375rem;padding:.3rem .4rem;min-height:2.25rem;width:100%}
.filters output{flex:1 1 100%;font-size:.85rem;color:var(--muted)}
button{font:inherit;font-size:.8rem;color:var(--fg);background:var(--panel);border:1px solid var(--line);border-radius:.375rem;padding:.2rem .6rem;cursor:pointer;min-height:2rem}
button:hover{border-color:var(--muted)}
.no-js .filters,.no-js .copy{display:none}
.chain{border:1px solid var(--line);border-radius:.5rem;padding:.75rem;margin:0 0 1rem;content-visibility:auto;contain-intrinsic-size:auto 8rem}
.tree{list-style:none;margin:0;padding:0}
.tree .tree{margin-left:.6rem;padding-left:.9rem;border-left:2px solid var(--line)}
.node{margin:.25rem 0}
.node.context>.finding>summary{opacity:.55}
.finding>summary{cursor:pointer;padding:.3rem .25rem;border-radius:.375rem;list-style-position:outside;margin-left:1rem}
.finding>summary:hover{background:var(--panel)}
.tree .tree .finding>summary::before{content:"\\21B3  ";color:var(--muted)}
.sev{display:inline-block;font-size:.7rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:1rem;padding:0 .5rem;margin-right:.25rem;vertical-align:.1em}
.sev.critical{color:var(--critical);background:var(--critical-bg)}.sev.warning{color:var(--warning);background:var(--warning-bg)}.sev.info{color:var(--info);background:var(--info-bg)}
.obj{font-weight:600}
.rule{color:var(--muted);font-size:.85rem}
.msg{display:block}
.body{margin:.25rem 0 .5rem 1.25rem;padding:.25rem .75rem .5rem;border-left:3px solid var(--line)}
.body p{margin:.25rem 0}
.evidence{margin:0;padding-left:1.2rem}
.evidence li{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem}
.fix{margin:0;padding-left:1.2rem}
.fix li{margin:.25rem 0 .5rem}
.mutates{font-size:.7rem;font-weight:700;color:var(--warning);background:var(--warning-bg);border-radius:1rem;padding:0 .45rem;margin-left:.25rem;white-space:nowrap}
.cmd{display:flex;gap:.5rem;align-items:flex-start}
pre{margin:.25rem 0 0;flex:1;min-width:0;overflow-x:auto;background:var(--code);border-radius:.375rem;padding:.45rem .6rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem}
pre code{white-space:pre}
.copy{margin-top:.25rem;flex:none}
.copy.done{color:var(--ok);border-color:var(--ok)}
.empty{color:var(--ok);font-weight:600}
.none{color:var(--muted)}
.notes{margin:1rem 0;color:var(--warning)}
footer{border-top:1px solid var(--line);margin-top:1.5rem;padding-top:.5rem;color:var(--muted);font-size:.85rem}
.offscreen{position:fixed;top:0;left:-9999px;opacity:0}
@media (max-width:40rem){body{padding:.6rem;font-size:14px}.tree .tree{margin-left:.2rem;padding-left:.5rem}.body{margin-left:.25rem;padding:.25rem .4rem .5rem}.count{min-width:0;flex:1}.cmd{flex-direction:column;align-items:stretch}.copy{align-self:flex-end}}
@media print{.filters,.copy{display:none}details{display:block}}
`;

export const reportScript = `
(function () {
  'use strict';
  var doc = document;
  doc.documentElement.classList.remove('no-js');
  var form = doc.getElementById('filters');
  var shown = doc.getElementById('shown');
  var nothing = doc.getElementById('nothing');
  var nodes = doc.querySelectorAll('li.node');
  var chains = doc.querySelectorAll('section.chain');
  var n = nodes.length;
  var indexOf = new Map();
  var items = [];
  for (var i = 0; i < n; i++) indexOf.set(nodes[i], i);
  for (var j = 0; j < n; j++) {
    var node = nodes[j];
    var parent = node.parentElement.closest('li.node');
    items.push({ node: node, parent: parent ? indexOf.get(parent) : -1, severity: node.getAttribute('data-severity'),
      namespace: node.getAttribute('data-namespace'), rule: node.getAttribute('data-rule'), text: null, hidden: false, context: false });
  }
  var roots = [];
  for (var k = 0; k < chains.length; k++) roots.push(indexOf.get(chains[k].querySelector('li.node')));

  function searchText(item) {
    if (item.text === null) item.text = item.node.querySelector('details').textContent.toLowerCase();
    return item.text;
  }

  function apply() {
    if (!form) return;
    var severity = form.elements.severity.value;
    var namespace = form.elements.namespace.value;
    var rule = form.elements.rule.value;
    var terms = form.elements.q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var hasVisibleEffect = new Uint8Array(n);
    var visible = new Uint8Array(n);
    var matched = 0;
    // Reverse document order visits effects before their causes, so a cause stays visible
    // (dimmed, as context) when only one of its effects matches.
    for (var i = n - 1; i >= 0; i--) {
      var item = items[i];
      var match = (severity === '*' || item.severity === severity) && (namespace === '*' || item.namespace === namespace) &&
        (rule === '*' || item.rule === rule);
      if (match && terms.length) {
        var text = searchText(item);
        for (var t = 0; t < terms.length && match; t++) match = text.indexOf(terms[t]) !== -1;
      }
      if (match) matched++;
      var show = match || hasVisibleEffect[i] === 1;
      visible[i] = show ? 1 : 0;
      if (show && item.parent >= 0) hasVisibleEffect[item.parent] = 1;
      if (item.hidden === show) { item.hidden = !show; item.node.hidden = !show; }
      var context = show && !match;
      if (item.context !== context) { item.context = context; item.node.classList.toggle('context', context); }
    }
    for (var c = 0; c < chains.length; c++) {
      var hide = visible[roots[c]] === 0;
      if (chains[c].hidden !== hide) chains[c].hidden = hide;
    }
    shown.textContent = matched === n ? 'Showing ' + (n === 1 ? 'the only finding' : 'all ' + n + ' findings') : 'Showing ' + matched + ' of ' + n + ' findings';
    shown.setAttribute('data-matched', String(matched));
    if (nothing) nothing.hidden = matched !== 0 || n === 0;
  }

  function fallbackCopy(text) {
    var area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    doc.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
    doc.body.removeChild(area);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  doc.addEventListener('click', function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest('button.copy') : null;
    if (!button) return;
    var code = button.parentElement.querySelector('code');
    copy(code.textContent).then(function (ok) {
      button.textContent = ok ? 'Copied' : 'Select and copy';
      button.classList.toggle('done', ok);
      setTimeout(function () { button.textContent = 'Copy'; button.classList.remove('done'); }, 1500);
    });
  });

  if (form) {
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    form.addEventListener('reset', function () { setTimeout(apply, 0); });
    var expand = doc.getElementById('expand');
    expand.addEventListener('click', function () {
      var open = expand.getAttribute('aria-pressed') !== 'true';
      var all = doc.querySelectorAll('details.finding');
      for (var i = 0; i < all.length; i++) all[i].open = open;
      expand.setAttribute('aria-pressed', String(open));
      expand.textContent = open ? 'Collapse all' : 'Expand all';
    });
    apply();
  }
  doc.documentElement.setAttribute('data-ready', 'true');
})();
`;
