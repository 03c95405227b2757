// k6's JavaScript runtime reads `Number.prototype.toLocaleString`'s first argument as a radix
// (like toString), so `n.toLocaleString('en-US')`, which thresholds/ uses to word its notes,
// throws there. Where that is so, this gives it a plain en-US formatter; elsewhere it does
// nothing.
function groupedEnUs(n: number): string {
  const sign = n < 0 ? '-' : '';
  const [whole = '0', fraction] = String(Math.round(Math.abs(n) * 1000) / 1000).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${sign}${grouped}.${fraction}` : `${sign}${grouped}`;
}

function localeArgumentThrows(): boolean {
  try {
    (1234).toLocaleString('en-US');
    return false;
  } catch {
    return true;
  }
}

if (localeArgumentThrows()) {
  Object.defineProperty(Number.prototype, 'toLocaleString', {
    value: function toLocaleString(this: number): string {
      return groupedEnUs(Number(this));
    },
    configurable: true,
    writable: true,
  });
}
