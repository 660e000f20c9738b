import { cookies } from 'next/headers';
import { currentSession } from '../lib/session.mjs';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const session = await currentSession((await cookies()).toString());
  if (!session) {
    return (
      <main>
        <h1>Not signed in</h1>
        <a id="sign-in" href="/api/auth/signin?callbackUrl=%2F">Sign in</a>
      </main>
    );
  }
  return (
    <main>
      <h1>Signed in</h1>
      <dl>
        <dt>sub</dt><dd id="sub">{session.sub}</dd>
        <dt>name</dt><dd id="name">{session.name}</dd>
        <dt>email</dt><dd id="email">{session.email}</dd>
        <dt>username</dt><dd id="username">{session.preferred_username}</dd>
      </dl>
      <form method="post" action="/logout">
        <button id="sign-out" type="submit">Sign out</button>
      </form>
    </main>
  );
}
