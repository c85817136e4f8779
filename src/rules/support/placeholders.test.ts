import { describe, expect, it } from 'vitest';
import { findPlaceholder, unexpandedReferences } from './placeholders.js';

describe('findPlaceholder', () => {
  it('finds what substitution left behind', () => {
    expect(findPlaceholder('${AZURE_CLIENT_ID}')).toEqual({ text: '${AZURE_CLIENT_ID}', kind: 'shell' });
    expect(findPlaceholder('https://${HOST:-localhost}/api')).toEqual({ text: '${HOST:-localhost}', kind: 'shell' });
    expect(findPlaceholder('$DATABASE_URL')).toEqual({ text: '$DATABASE_URL', kind: 'shell' });
    expect(findPlaceholder('{{ .Values.image.tag }}')).toEqual({ text: '{{ .Values.image.tag }}', kind: 'helm' });
    expect(findPlaceholder('<CHANGE_ME>')).toEqual({ text: '<CHANGE_ME>', kind: 'angle' });
    expect(findPlaceholder('https://<your-account>.blob.core.windows.net')).toEqual({ text: '<your-account>', kind: 'angle' });
    expect(findPlaceholder('REPLACE_ME')).toEqual({ text: 'REPLACE_ME', kind: 'marker' });
    expect(findPlaceholder('TODO')).toEqual({ text: 'TODO', kind: 'marker' });
  });
  it('leaves real values and run-time variables in config files alone', () => {
    for (const value of ['https://shop.example.com', '6b1f3c2e-9a4d-4e8b-b7c1-2d3e4f5a6b7c', '/$2', 'a<b', 'todo-list-service']) expect(findPlaceholder(value)).toBeUndefined();
    expect(findPlaceholder('location / { try_files $uri /index.html; proxy_set_header Host ${host}; }\n', { freeText: true })).toBeUndefined();
    expect(findPlaceholder('{{- if .Values.global.proxy }}\nimage: {{ .Values.global.proxy.image }}\n{{- end }}\n', { freeText: true })).toBeUndefined();
  });
  it('still finds unrendered Helm values in a config file that is not a template', () => {
    expect(findPlaceholder('server:\n  url: {{ .Values.api.url }}\n', { freeText: true })).toEqual({ text: '{{ .Values.api.url }}', kind: 'helm' });
  });
});

describe('unexpandedReferences', () => {
  it('flags $(VAR) only when VAR is not defined before it', () => {
    expect(unexpandedReferences('k8s.pod.name=$(POD_NAME)', new Set(['POD_NAME']))).toEqual([]);
    expect(unexpandedReferences('[$(POD_NAME)] $$(ESCAPED)', new Set())).toEqual(['$(POD_NAME)']);
  });
});
