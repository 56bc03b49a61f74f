/**
 * The tone at the end of the countdown: two soft notes made with WebAudio (no sound file). A
 * browser that has not let this page play sound yet stays silent, which is all it can do.
 */
let context: AudioContext | null = null;

/** Plays the end tone (about 0.7 s) once. */
export function playEndTone(): void {
  try {
    context ??= new AudioContext();
    const audio = context;
    void audio.resume().catch(() => undefined);
    const start = audio.currentTime + 0.02;
    [880, 660].forEach((frequency, i) => {
      const at = start + i * 0.3;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A soft attack and decay: no click, not startling.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.2, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.4);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.42);
    });
  } catch {
    // No audio device or no WebAudio: the visual cue and the announcement remain.
  }
}
