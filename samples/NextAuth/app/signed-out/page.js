export default function SignedOut() {
  return (
    <main>
      <h1>Signed out</h1>
      <a href="/">Home</a>
    </main>
  );
}
