// Child process: a fixed integer loop, timed. Run at the start and the end of the bench on the
// generator core, it shows whether the core's speed changed meanwhile (other work, the host).
const t0 = performance.now();
let x = 0;
for (let i = 0; i < 200_000_000; i++) x = (x + i * 7) % 1_000_003;
console.log(JSON.stringify({ ms: performance.now() - t0, check: x }));
