// What breaks a layout, checked in the page (tests/test_web_browser.py); `root` is a CSS selector.
(root => {
    const problems = [];
    const scope = document.querySelector(root);
    const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
        && getComputedStyle(e).visibility !== 'hidden'; };
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined
        ? '.' + String(e.className).trim().split(/\s+/).join('.') : '');
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const e of scope.querySelectorAll('*')) {
        if (!shown(e) || e.closest('svg') || e.closest('.sr-only') || e.closest('[hidden]')) continue;
        const hiddenHead = e.closest('thead');  // a table's visually hidden header (its cells labelled instead)
        if (hiddenHead && hiddenHead.getBoundingClientRect().width <= 2) continue;
        const r = e.getBoundingClientRect();
        if (r.right > width + 1) problems.push(`${name(e)} reaches past the viewport (${Math.round(r.right)} > ${width})`);
        const parent = e.parentElement.getBoundingClientRect();
        if (r.left < parent.left - 2 || r.right > parent.right + 2) {
            problems.push(`${name(e)} sticks out of ${name(e.parentElement)} (${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(parent.left)}..${Math.round(parent.right)})`);
        }
    }
    for (const chart of scope.querySelectorAll('svg')) {
        if (!shown(chart)) continue;
        const box = chart.getBoundingClientRect();
        const labels = [...chart.querySelectorAll('text')].filter(shown).map(t => [t, t.getBoundingClientRect()]);
        for (const [t, r] of labels) {
            if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
                problems.push(`label "${t.textContent}" leaves its chart`);
        }
        for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
            const [a, ra] = labels[i], [b, rb] = labels[j];
            if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1)
                problems.push(`labels "${a.textContent}" and "${b.textContent}" overlap`);
        }
    }
    for (const d of scope.querySelectorAll('time.date')) if (shown(d) && d.getClientRects().length > 1) problems.push(`date ${d.textContent} wraps`);
    return problems;
})
