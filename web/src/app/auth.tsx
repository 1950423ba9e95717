import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, LOGIN_PATH, setTotpSetupRequiredHandler, setUnauthorizedHandler } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { ME_PATH } from '../../../contracts/paths.ts';

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

interface AuthState {
  /** The signed-in account; null when signed out; undefined while the first /auth/me is in flight. */
  me: Me | null | undefined;
  /** A message for the login page (session expired, password changed…). */
  notice: string | undefined;
  refresh: () => Promise<Me | null>;
  login: (input: LoginInput) => Promise<Me | null>;
  logout: () => Promise<void>;
  /** Forget the session locally (after a password change the server has already ended it) and show `notice` at /login. */
  clear: (notice?: string) => void;
  /** True after an explicit sign-out: the next sign-in starts at the workbench, not at the page left behind. */
  signedOutOnPurpose: () => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export interface LoginLocationState {
  from?: string;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  // The session's account boot.ts asked for, when it has arrived: the shell and the page draw in the first render.
  const [me, setMe] = useState<Me | null | undefined>(() => api.arrived<Me>(ME_PATH));
  const knownAtStart = useRef(me !== undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const navigate = useNavigate();
  const location = useLocation();
  const locationRef = useRef(location);
  locationRef.current = location;
  const meRef = useRef(me);
  meRef.current = me;
  const onPurpose = useRef(false);

  const refresh = useCallback(async () => {
    try {
      const current = await api.get<Me>(ME_PATH);
      setMe(current);
      return current;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setMe(null);
        return null;
      }
      throw error;
    }
  }, []);

  const clear = useCallback(
    (message?: string) => {
      onPurpose.current = true;
      setNotice(message);
      setMe(null);
      navigate('/login', { replace: true });
    },
    [navigate],
  );

  useEffect(() => {
    setUnauthorizedHandler((error) => {
      const hadSession = !!meRef.current;
      setMe(null);
      const here = locationRef.current;
      // The laborer's mobile page (/m) has no staff session and keeps its own sign-in.
      if (here.pathname === '/login' || here.pathname === '/m' || here.pathname.startsWith('/m/')) return;
      if (hadSession) setNotice(error.code === 'UNAUTHENTICATED' ? '登录已失效，请重新登录' : error.message);
      const state: LoginLocationState = { from: here.pathname + here.search };
      navigate('/login', { replace: true, state });
    });
    setTotpSetupRequiredHandler(() => {
      setMe((current) => (current ? { ...current, totpSetupRequired: true } : current));
      if (locationRef.current.pathname !== '/profile') navigate('/profile', { replace: true });
    });
    return () => {
      setUnauthorizedHandler(null);
      setTotpSetupRequiredHandler(null);
    };
  }, [navigate]);

  useEffect(() => {
    if (!knownAtStart.current) {
      refresh().catch(() => setMe(null));
      return;
    }
    knownAtStart.current = false;
    api.drop(ME_PATH);
  }, [refresh]);

  const login = useCallback(
    async (input: LoginInput) => {
      const result = await api.post<{ user?: Me } | null>(LOGIN_PATH, input);
      onPurpose.current = false;
      setNotice(undefined);
      if (result?.user) {
        setMe(result.user);
        return result.user;
      }
      return refresh();
    },
    [refresh],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      // The session is gone either way.
    }
    clear();
  }, [clear]);

  const signedOutOnPurpose = useCallback(() => onPurpose.current, []);

  const value = useMemo<AuthState>(
    () => ({ me, notice, refresh, login, logout, clear, signedOutOnPurpose }),
    [me, notice, refresh, login, logout, clear, signedOutOnPurpose],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in account, for pages rendered inside RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
