// Renders Lark card JSON 2.0 to HTML for the sandbox: every component the project's cards use, with Lark's colours.
// Interactive components call back through `onAction(value, formValue, name)`.
(function () {
  const palette = {
    blue: '#1456F0',
    wathet: '#076A94',
    turquoise: '#067062',
    green: '#1A7526',
    yellow: '#865B03',
    orange: '#A44904',
    red: '#C02A26',
    carmine: '#B82879',
    violet: '#A630A6',
    purple: '#7A35F0',
    indigo: '#4752E6',
    grey: '#646a73',
    default: '#1f2329',
    neutral: '#646a73',
    lime: '#5C6D08',
  };
  const headerBg = {
    blue: '#e1eaff',
    wathet: '#d9f3fd',
    turquoise: '#d5f6f2',
    green: '#d9f5d6',
    yellow: '#faf1d1',
    orange: '#feead2',
    red: '#fde2e2',
    carmine: '#fde2ef',
    violet: '#f5e6f9',
    purple: '#efe6fe',
    indigo: '#e0e9ff',
    grey: '#eff0f1',
    default: '#ffffff',
  };
  const esc = (s) =>
    String(s)
      .replace(/&(?!#\d+;|[a-z]+;)/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;');
  let personNames = {};

  // Lark markdown: allowed tags first (kept aside), everything else escaped, then emphasis and line breaks.
  function markdown(src) {
    const keep = [];
    const hold = (html) => `\u0000${keep.push(html) - 1}\u0000`;
    let s = String(src)
      .replace(/<font color='([\w-]+)'>/g, (_, c) => hold(`<span style="color:${palette[c] || c}">`))
      .replace(/<\/font>/g, () => hold('</span>'))
      .replace(/<text_tag color='([\w-]+)'>([\s\S]*?)<\/text_tag>/g, (_, c, t) =>
        hold(
          `<span class="tag" style="color:${palette[c] || '#1456F0'};border-color:${palette[c] || '#1456F0'}">${esc(t)}</span>`,
        ),
      )
      .replace(/<at id=([\w]+)><\/at>/g, (_, id) => hold(`<span class="at">@${esc(personNames[id] || id)}</span>`))
      .replace(/<br\s*\/?>/g, () => hold('<br>'));
    s = esc(s)
      .replace(/\*\*([\s\S]+?)\*\*/g, '<b>$1</b>')
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\n/g, '<br>');
    return s.replace(/\u0000(\d+)\u0000/g, (_, i) => keep[Number(i)]);
  }

  const text = (t) => (t ? (t.tag === 'lark_md' ? markdown(t.content) : esc(t.content)) : '');

  function el(tag, cls, html) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html !== undefined) e.innerHTML = html;
    return e;
  }

  function render(card, onAction, people) {
    personNames = people || {};
    const root = el('div', 'card');
    if (card.header) {
      const h = el('div', 'card-header');
      const c = card.header.template || 'default';
      h.style.background = headerBg[c] || '#fff';
      h.style.color = palette[c] || '#1f2329';
      h.appendChild(el('div', 'card-title', text(card.header.title)));
      if (card.header.subtitle) h.appendChild(el('div', 'card-subtitle', text(card.header.subtitle)));
      for (const t of card.header.text_tag_list || []) h.appendChild(el('span', 'tag', esc(t.text.content)));
      root.appendChild(h);
    }
    const body = el('div', 'card-body');
    for (const e of (card.body && card.body.elements) || []) body.appendChild(node(e, onAction, null));
    root.appendChild(body);
    return root;
  }

  function node(e, onAction, form) {
    switch (e.tag) {
      case 'markdown': {
        const d = el('div', 'md', markdown(e.content));
        if (e.text_align) d.style.textAlign = e.text_align;
        return d;
      }
      case 'div':
        return el('div', 'md', text(e.text));
      case 'hr':
        return el('hr');
      case 'img':
        return el('div', 'placeholder', '[图片]');
      case 'table': {
        // Lark pages a table by page_size; here every row shows in a box that scrolls sideways on a narrow screen.
        const box = el('div', 'table-box');
        const t = el('table', 'card-table');
        const head = el('tr');
        for (const c of e.columns || []) head.appendChild(el('th', '', esc(c.display_name || c.name)));
        t.appendChild(head);
        for (const r of e.rows || []) {
          const tr = el('tr');
          for (const c of e.columns || [])
            tr.appendChild(el('td', '', esc(r[c.name] === undefined ? '' : String(r[c.name]))));
          t.appendChild(tr);
        }
        box.appendChild(t);
        return box;
      }
      case 'chart': {
        // Drawn by VChart as Lark's client draws it, once the box is on the page and has a size.
        const box = el('div', 'chart');
        const Chart = window.VChart && (window.VChart.default || window.VChart.VChart);
        if (!Chart) return el('div', 'placeholder', `[图表：${esc((e.chart_spec && e.chart_spec.type) || '')}]`);
        requestAnimationFrame(() => {
          // A fixed height wins; otherwise the aspect ratio (Lark: 16:9 on desktop) sets it from the card's width.
          const [w, h] = (e.aspect_ratio || '16:9').split(':').map(Number);
          box.style.height = e.height && e.height !== 'auto' ? e.height : `${Math.round((box.clientWidth * h) / w)}px`;
          try {
            new Chart(e.chart_spec, { dom: box, animation: false }).renderSync();
          } catch (err) {
            box.textContent = `图表无法显示：${err.message}`;
          }
        });
        return box;
      }
      case 'column_set': {
        const row = el('div', 'columns');
        for (const c of e.columns || []) {
          const col = el('div', 'column');
          if (c.width === 'weighted') col.style.flex = String(c.weight || 1);
          else col.style.flex = '0 0 auto';
          if (c.vertical_align === 'center') col.style.alignSelf = 'center';
          for (const x of c.elements || []) col.appendChild(node(x, onAction, form));
          row.appendChild(col);
        }
        if (e.flex_mode === 'bisect') row.classList.add('bisect');
        if (e.flex_mode === 'flow') row.classList.add('flow');
        return row;
      }
      case 'form': {
        const f = el('form', 'card-form');
        f.dataset.name = e.name;
        f.onsubmit = (ev) => ev.preventDefault();
        for (const x of e.elements || []) f.appendChild(node(x, onAction, f));
        return f;
      }
      case 'input': {
        const wrap = el('div', 'field');
        if (e.label) wrap.appendChild(el('label', '', text(e.label)));
        const i = e.input_type === 'multiline_text' ? el('textarea') : el('input');
        if (e.input_type === 'multiline_text') i.rows = e.rows || 3;
        i.name = e.name;
        i.value = e.default_value || '';
        i.placeholder = e.placeholder ? e.placeholder.content : '';
        if (e.max_length) i.maxLength = e.max_length;
        if (e.required) i.required = true;
        wrap.appendChild(i);
        return wrap;
      }
      case 'select_static':
      case 'select_person': {
        const s = el('select');
        s.name = e.name || '';
        s.dataset.kind = e.tag;
        s.appendChild(new Option(e.placeholder ? e.placeholder.content : '请选择', ''));
        for (const o of e.options || [])
          s.appendChild(new Option(o.text ? o.text.content : personNames[o.value] || o.value, o.value));
        s.value = e.initial_option || '';
        if (e.required) s.required = true;
        if (!form && e.behaviors) s.onchange = () => onAction(callbackValue(e), undefined, e.name, s.value);
        return s;
      }
      case 'multi_select_static':
      case 'multi_select_person': {
        const box = el('div', 'multi');
        box.dataset.name = e.name;
        if (e.placeholder) box.appendChild(el('div', 'hint', esc(e.placeholder.content)));
        for (const o of e.options || []) {
          const l = el('label', 'check');
          const c = el('input');
          c.type = 'checkbox';
          c.value = o.value;
          c.checked = (e.selected_values || []).includes(o.value);
          l.appendChild(c);
          l.appendChild(document.createTextNode(' ' + (o.text ? o.text.content : personNames[o.value] || o.value)));
          box.appendChild(l);
        }
        return box;
      }
      case 'date_picker': {
        const i = el('input');
        i.type = 'date';
        i.name = e.name;
        i.dataset.kind = 'date';
        i.value = e.initial_date || '';
        if (e.required) i.required = true;
        return i;
      }
      case 'checker': {
        const l = el('label', 'check');
        const c = el('input');
        c.type = 'checkbox';
        c.name = e.name;
        c.checked = !!e.checked;
        l.appendChild(c);
        l.appendChild(el('span', '', text(e.text)));
        return l;
      }
      case 'button': {
        const b = el('button', `btn btn-${e.type || 'default'}`, esc(e.text ? e.text.content : ''));
        b.type = 'button';
        b.onclick = () => {
          if (e.confirm && !window.confirm(`${e.confirm.title.content}\n${e.confirm.text.content}`)) return;
          if (form && e.form_action_type === 'submit') {
            const missing = [...form.querySelectorAll('[required]')].filter((x) => !x.value);
            if (missing.length) return onAction(null, null, null, null, '有必填项未填写');
            onAction(callbackValue(e), formValues(form), e.name);
          } else if (form && e.form_action_type === 'reset') form.reset();
          else onAction(callbackValue(e), undefined, e.name);
        };
        return b;
      }
      default:
        return el('div', 'placeholder', `[${esc(e.tag)}]`);
    }
  }

  const callbackValue = (e) => ((e.behaviors || []).find((b) => b.type === 'callback') || {}).value || {};

  // The shapes Lark puts in form_value: text as typed, dates as "2024-04-01 +0800", multi-selects as arrays.
  function formValues(form) {
    const out = {};
    for (const x of form.querySelectorAll('input[name], textarea[name], select[name]')) {
      if (x.type === 'checkbox') continue;
      if (x.dataset.kind === 'date') {
        if (x.value) out[x.name] = `${x.value} +0800`;
      } else if (x.tagName === 'SELECT') {
        if (x.value) out[x.name] = x.value;
      } else out[x.name] = x.value;
    }
    for (const m of form.querySelectorAll('.multi'))
      out[m.dataset.name] = [...m.querySelectorAll('input:checked')].map((c) => c.value);
    return out;
  }

  window.LarkCard = { render, markdown };
})();
