export const metadata = { title: 'AuthService sample: Next.js with Auth.js' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
