/** Hostile message texts and names for security tests: every one must render inert. */
export const hostileTexts: readonly string[] = [
  '[Click to run](command:workbench.action.terminal.new) and [open](https://evil.example/?steal=1)',
  '<script>alert("xss")</script><img src=x onerror="alert(1)"><b>bold</b>',
  'Invoice \u202Egnp.exe\u202C is attached \u200B\u200C\u200D\uFEFF hidden',
  '**Bold** `code` # heading\n> quote\n- list ![img](https://evil.example/x.png)',
  'A'.repeat(1024 * 1024),
  JSON.stringify(JSON.parse('['.repeat(200) + ']'.repeat(200))),
  'Line\r\nbreaks\u0000nul\u0007bell\u001b[31mred\u001b[0m',
];

export const hostileName = 'Mallory \u202Eresu_niam\u202C <img src=x onerror=alert(1)> [x](command:messengerExplorer.signOut)';
